import { Kind, type FieldNode } from 'graphql';

/**
 * The argument coordinates (`Type.field(argument:)`, GraphQL schema-coordinates RFC) an access
 * rule may sit on (`@policy` on an argument definition), for the arguments this field asks with a
 * value: literal or variable, anything but `null` or `false`. A switch left at its default
 * (`includePossibleMatches: false`) asks for nothing more, so it needs no more than the field.
 */
export function askedArgumentCoordinates(node: FieldNode, fieldCoordinate: string, variables: Readonly<Record<string, unknown>>): string[] {
  const asked: string[] = [];
  for (const argument of node.arguments ?? []) {
    const value = argument.value;
    const resolved =
      value.kind === Kind.VARIABLE ? variables[value.name.value]
      : value.kind === Kind.NULL ? null
      : value.kind === Kind.BOOLEAN ? value.value
      : true;
    if (resolved === null || resolved === undefined || resolved === false) continue;
    asked.push(`${fieldCoordinate}(${argument.name.value}:)`);
  }
  return asked;
}
