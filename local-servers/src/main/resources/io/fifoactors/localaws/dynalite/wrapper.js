'use strict';
// Started by io.fifoactors.localaws.DynaliteServer. Runs dynalite in memory on 127.0.0.1 at a free port, prints
// "DYNALITE_PORT=<port>" on stdout once it listens, and exits as soon as stdin closes (the JVM closed it or died).
// The data is in memory only, so there is nothing to flush: exit at once rather than wait for keep-alive clients.
const dynalite = require('dynalite');

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

server.on('error', (err) => {
  process.stderr.write('dynalite failed: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(2);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write('DYNALITE_PORT=' + server.address().port + '\n');
});

const stop = () => process.exit(0);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
