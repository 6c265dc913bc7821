// A collection's table: the record whole as JSON in `doc`, and every field a
// query filters or sorts on as a generated column (indexed by the migration).

export function entityTable(name: string, columns: Record<string, string>): string {
  const generated = Object.entries(columns)
    .map(([column, expr]) => `,\n  ${column} GENERATED ALWAYS AS (${expr}) VIRTUAL`)
    .join('');
  return `CREATE TABLE ${name} (\n  id TEXT PRIMARY KEY,\n  doc TEXT NOT NULL CHECK (json_valid(doc))${generated}\n);\n`;
}
