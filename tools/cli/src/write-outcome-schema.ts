// `npm run schema`: writes libs/contracts/schemas/outcome-event.schema.json from the audit record's definition.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outcomeEventJsonSchema } from '@lockdown/contracts';

writeFileSync(
  join(__dirname, '..', '..', '..', 'libs', 'contracts', 'schemas', 'outcome-event.schema.json'),
  `${JSON.stringify(outcomeEventJsonSchema(), null, 2)}\n`,
);
