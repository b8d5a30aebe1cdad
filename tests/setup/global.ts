// Global test setup (database template is added by the foundation work).
export default async function setup() {}
