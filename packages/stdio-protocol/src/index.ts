export { FrameType, MAX_PAYLOAD, HEADER_SIZE, MAX_STREAM, STDIN_WINDOW, OUTPUT_WINDOW, SYNC_REQUEST, SYNC_ACK, isFrameType, frameTypeName } from './frame-type';
export { FrameDecoder, type Frame, type FrameDecoderOptions } from './frame-decoder';
export {
  encodeFrame,
  encodeHeader,
  encodeStdin,
  encodeStdinEof,
  encodeWinsize,
  encodeSignal,
  encodeStart,
  encodeQuit,
  encodeExit,
  encodeError,
  encodeStdioFds,
  encodeStarted,
  encodeAck,
  encodeExec,
  type ExecSpec,
} from './encode-frame';
export { decodeExit, decodeWinsize, decodeSignal, decodeError, decodeAck } from './decode-payload';
export { writeFrame } from './write-frame';
export { Handshake, DEFAULT_HANDSHAKE_TIMEOUT_MS, type HandshakeOptions } from './handshake';
export { ConsoleRpcSession } from './console-rpc-session';
export type { ConsoleRpcSessionOptions } from './console-rpc-session-options';
export { type SessionStreams, type StreamHandler, type DescriptorSender } from './session-streams';
