// Runs the fakes in their own process, so they share no event loop with the load generator
// or the server under test. Prints one JSON line with the URLs when listening.
import { startFakes } from '../tests/support/fakes/server.js';

const fakes = await startFakes({ rateLimited: process.env.BENCH_RATE_LIMITED === '1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ ready: true, origin: fakes.origin })}\n`);
process.on('SIGTERM', () => void fakes.close().then(() => process.exit(0)));
