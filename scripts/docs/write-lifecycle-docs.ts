/** `npm run docs:lifecycle`: writes the parts of docs/architecture.md generated from the lifecycle's table. */
import { readFileSync, writeFileSync } from 'node:fs';
import { ARCHITECTURE_PARTS, withGeneratedParts } from './lifecycle-docs.js';

const path = new URL('../../docs/architecture.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withGeneratedParts(before, ARCHITECTURE_PARTS);
if (after === before) {
  console.log('docs/architecture.md already shows the lifecycle as contracts/lifecycle.ts declares it');
} else {
  writeFileSync(path, after);
  console.log(`docs/architecture.md: ${ARCHITECTURE_PARTS.map((part) => part.name).join(', ')} written from contracts/lifecycle.ts`);
}
