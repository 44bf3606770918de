import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { OK_WITHOUT_DATA } from '../../../server/ingest/acknowledged';
import { AgentPacketEncoder } from '../../../server/ingest/agent-packet-encoder';

const decoded = (text: string | Buffer) =>
  new Promise<Packet>((resolve) => {
    const decoder = new Decoder();
    decoder.on('decoded', resolve);
    decoder.add(text);
  });

describe('AgentPacketEncoder', () => {
  it('writes the shared report acknowledgement exactly as Socket.IO would', async () => {
    const packet: Packet = { type: PacketType.ACK, nsp: '/agent', id: 41, data: [OK_WITHOUT_DATA] };
    const [text] = new AgentPacketEncoder().encode(packet);
    expect(text).toBe(new Encoder().encode({ ...packet, data: [{ ok: true, data: null }] })[0]);
    expect(text).toBe('3/agent,41[{"ok":true,"data":null}]');
    expect(await decoded(text!)).toEqual({ type: PacketType.ACK, nsp: '/agent', id: 41, data: [{ ok: true, data: null }] });
  });

  it('leaves every other packet to Socket.IO, an equal but separate answer included', () => {
    const encoder = new AgentPacketEncoder();
    const packets: Packet[] = [
      { type: PacketType.ACK, nsp: '/agent', id: 7, data: [{ ok: true, data: null }] },
      { type: PacketType.ACK, nsp: '/agent', id: 8, data: [{ ok: false, error: { code: 'invalid_payload', message: 'bad' } }] },
      { type: PacketType.EVENT, nsp: '/agent', data: ['command:issue', { commandId: 'c1' }] },
      { type: PacketType.ACK, nsp: '/', id: 9, data: [OK_WITHOUT_DATA] },
    ];
    for (const packet of packets) expect(encoder.encode(packet)).toEqual(new Encoder().encode(packet));
  });
});
