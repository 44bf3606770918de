/**
 * The ceiling: a Socket.IO server on the same /agent namespace that decodes
 * the same messages (Socket.IO's parser turns every frame into objects) and
 * acknowledges them, and does nothing else: no key check, no validation, no
 * aggregate, no store. Whatever rate it sustains with the same fleet is the
 * most any server built on Socket.IO could do on this machine.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { AGENT_NAMESPACE, type AgentClientToServerEvents, type AgentServerToClientEvents } from '../../lib/protocol/agent-events.js';
import type { BareMessage } from './messages';

// The panel's default MAX_MESSAGE_BYTES, so both servers accept the same frames.
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

const httpServer = http.createServer();
const io = new Server<AgentClientToServerEvents, AgentServerToClientEvents>(httpServer, { serveClient: false, maxHttpBufferSize: MAX_MESSAGE_BYTES });
io.of(AGENT_NAMESPACE).on('connection', (socket) => {
  socket.on('instance:register', (_payload, ack) => ack({ ok: true, data: { serverTime: Date.now() } }));
  socket.on('report:send', (_payload, ack) => ack({ ok: true, data: null }));
  socket.on('transition:report', (_payload, ack) => ack({ ok: true, data: null }));
  socket.on('command:ack', (_payload, ack) => ack({ ok: true, data: null }));
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  const message: BareMessage = { type: 'ready', port: typeof address === 'object' && address ? address.port : 0 };
  process.send?.(message);
});
const stop = () => void io.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
