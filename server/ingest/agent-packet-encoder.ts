import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { OK_WITHOUT_DATA } from './acknowledged';

// The acknowledgement's arguments as Socket.IO would encode them: `[{"ok":true,"data":null}]`.
const OK_WITHOUT_DATA_ARGUMENTS = JSON.stringify([OK_WITHOUT_DATA]);

/**
 * Socket.IO's encoder, with the one packet the server sends most written
 * from a template: the `{ ok: true, data: null }` acknowledgement of a report
 * (one per report: 2,000 a second at the full benchmark load). Socket.IO's
 * own path walks the arguments looking for binary data and then
 * stringifies them, every time. The bytes are the same either way.
 */
export class AgentPacketEncoder extends Encoder {
  override encode(packet: Packet): Array<string | Buffer> {
    const args: unknown = packet.data;
    if (packet.type === PacketType.ACK && Array.isArray(args) && args.length === 1 && args[0] === OK_WITHOUT_DATA) {
      const namespace = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
      return [`${PacketType.ACK}${namespace}${packet.id ?? ''}${OK_WITHOUT_DATA_ARGUMENTS}`];
    }
    return super.encode(packet);
  }
}
