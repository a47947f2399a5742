import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's test fixtures (conformance vectors and their keys). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures');
