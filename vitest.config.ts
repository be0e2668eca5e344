// Tests live in test/**/*.test.ts. Some train small models, hence the generous timeout; each test file
// runs in its own forked process (onnxruntime-node's native binding is happiest outside worker threads).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
