/**
 * What a table or column name in a mapping may look like: letters, digits and underscores, not
 * starting with a digit, at most 63 characters (PostgreSQL's limit; MySQL/MariaDB allow 64). Names
 * are still quoted when queries are built; this check is what makes a mapping file unable to
 * smuggle SQL into a query, whatever the quoting rules of the dialect.
 */
export const SQL_IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A table name, optionally qualified by its schema (PostgreSQL) or database (MySQL): `his.benh_nhan`. */
export const SQL_TABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

export const SQL_IDENTIFIER_HINT = 'a SQL identifier (letters, digits and _, not starting with a digit, at most 63 characters)';
export const SQL_TABLE_NAME_HINT = 'a table name (a SQL identifier, optionally schema-qualified as schema.table)';

/** Alias of a join (lower case, short: it prefixes column names in the mapping and in SQL aliases). */
export const JOIN_ALIAS_PATTERN = /^[a-z][a-z0-9_]{0,15}$/;
export const JOIN_ALIAS_HINT = 'a join alias (lower-case letters, digits and _, starting with a letter, at most 16 characters)';

/** A column of the mapped table, or `alias.COLUMN` of one of its joins. */
export const COLUMN_REF_PATTERN = /^([a-z][a-z0-9_]{0,15}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const COLUMN_REF_HINT = `${SQL_IDENTIFIER_HINT}, or alias.COLUMN of a join of this table`;
