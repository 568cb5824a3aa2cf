'use strict';
// Started by io.fifoactors.e2e.RestartableDynalite: dynalite on 127.0.0.1 at the port given, its tables in LevelDB
// under the directory given, so that a dynalite killed with SIGKILL and started again on the same port and
// directory finds its tables and items. Prints "DYNALITE_PORT=<port>" once it listens; exits when stdin closes.
// Usage: node dynalite-on-disk.js <port> <data directory>   (dynalite is found through NODE_PATH)
const dynalite = require('dynalite');

const port = parseInt(process.argv[2], 10);
const path = process.argv[3];
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

server.on('error', (err) => {
  process.stderr.write('dynalite failed: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(2);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write('DYNALITE_PORT=' + server.address().port + '\n');
});

const stop = () => process.exit(0);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
