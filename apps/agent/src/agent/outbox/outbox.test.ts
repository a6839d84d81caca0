import { join } from 'node:path';
import { MemoryOutbox } from './memoryOutbox';
import { outboxSuite } from './outboxSuite';
import { SqliteOutbox } from './sqliteOutbox';

outboxSuite('MemoryOutbox', { open: () => new MemoryOutbox() });

outboxSuite('SqliteOutbox', {
  open: (dir) => new SqliteOutbox(join(dir, 'outbox.sqlite')),
  reopen: (dir) => new SqliteOutbox(join(dir, 'outbox.sqlite')),
});
