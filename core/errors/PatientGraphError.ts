import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './errorCodes';

/** Facts attached to an error's `extensions`; never patient identifiers or names. */
export interface ErrorDetails {
  readonly facilityCode?: string;
  readonly [key: string]: string | number | boolean | readonly string[] | undefined;
}

/**
 * A caller-facing failure with a registered code. Adapters and subgraphs throw it; the subgraph
 * edge and the gateway turn it into a GraphQL error with `extensions.code`. `cause` keeps the
 * underlying failure for the server log only.
 */
export class PatientGraphError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PatientGraphError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }

  toGraphQLError(path?: readonly (string | number)[]): GraphQLError {
    return new GraphQLError(this.message, {
      ...(path ? { path } : {}),
      extensions: { ...this.details, code: this.code },
    });
  }
}
