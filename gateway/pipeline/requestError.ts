import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from '../../core/errors/errorCodes';

type Detail = string | number | boolean | readonly string[];

/**
 * A refusal of the request pipeline: a GraphQL error whose HTTP status comes from the one
 * error-code registry (docs/style.md item 3). Apollo Server moves `extensions.http` onto the
 * response and removes it from the error the client sees.
 */
export function requestError(
  code: ErrorCode,
  message: string,
  details: Readonly<Record<string, Detail>> = {},
  headers: Readonly<Record<string, string>> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...details, code, http: { status: ERROR_CODES[code].status, headers: new HeaderMap(Object.entries(headers)) } },
  });
}
