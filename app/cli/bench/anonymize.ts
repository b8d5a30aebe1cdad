// `npm run bench -- anonymize` (the name issue 11 uses) is the same benchmark as `-- anonymizer`.
export { run } from './anonymizer';
