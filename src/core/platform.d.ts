// WHATWG globals present in every runtime the engine targets (Node ≥ 18, browsers, workers).
// Declared here, narrowly, because src/core compiles without DOM or Node typings on purpose.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
