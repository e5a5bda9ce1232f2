/** One check of a registration (or of the conformance kit): its name, verdict and why. */
export interface RegistrationCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export function passed(check: string, detail: string): RegistrationCheck {
  return { check, passed: true, detail };
}

export function failed(check: string, detail: string): RegistrationCheck {
  return { check, passed: false, detail };
}
