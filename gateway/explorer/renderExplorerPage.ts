import { NPM_EXPLORER_SCRIPTS } from './explorerAssets';

/**
 * The explorer's HTML page (GET /). It needs no token; every query it sends carries the one typed
 * into the token field. Everything it loads comes from this gateway (see EXPLORER_CSP).
 */
export function renderExplorerPage(): string {
  const scripts = [...NPM_EXPLORER_SCRIPTS, 'explorer.js'].map((name) => `  <script src="explorer/${name}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>patient-graph explorer</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="explorer/graphiql.css">
  <link rel="stylesheet" href="explorer/explorer.css">
${scripts}
</head>
<body>
  <header class="explorer-bar">
    <strong>patient-graph</strong>
    <label for="bearer-token">Bearer token</label>
    <input id="bearer-token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a token (npm start prints one per role; patient-graph token --role …)">
    <span id="explorer-status" role="status">Loading the schema…</span>
  </header>
  <main id="graphiql"></main>
</body>
</html>
`;
}

/** Stylesheet of the page around GraphiQL. */
export const EXPLORER_CSS = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
.explorer-bar { display: flex; gap: 0.75rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; flex-wrap: wrap; }
.explorer-bar input { flex: 0 1 28rem; font: inherit; padding: 0.25rem 0.5rem; }
#explorer-status { color: #555; font-size: 0.85rem; }
#graphiql { flex: 1; min-height: 0; }
`;

/**
 * Content-Security-Policy of the page: scripts, styles, fonts and requests only from this gateway
 * (GraphiQL injects style elements, hence 'unsafe-inline' for styles only; its fonts are data URLs).
 */
export const EXPLORER_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
