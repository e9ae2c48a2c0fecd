// The one error a consumer of the decoder has to handle: the bytes are not a valid frame.
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}
