/**
 * The port-forward protocol's names (apimachinery util/portforward/constants.go, kubelet
 * cri/streaming/portforward): over SPDY each forwarded connection is a pair of streams, error
 * and data, with headers streamType, port and requestID; over WebSocket (client-node) each port
 * of the query is a data channel 2i and an error channel 2i+1, whose first frame is the port
 * (uint16, little endian); kubectl ≥ 1.31 tunnels the SPDY bytes through a WebSocket.
 */

export const PORT_FORWARD_PROTOCOL_V1 = 'portforward.k8s.io';
/** The WebSocket subprotocol whose binary messages are SPDY/3.1 bytes (client-go tunneling_connection.go). */
export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
export const WEBSOCKET_CHANNEL_PROTOCOL_V4 = 'v4.channel.k8s.io';

export const PortForwardStreamType = { error: 'error', data: 'data' } as const;
export const PORT_HEADER = 'port';
export const REQUEST_ID_HEADER = 'requestid';
