/** Resolves on the first SIGINT (Ctrl+C) or SIGTERM, so a long-running command can stop cleanly. */
export function waitForShutdown(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
