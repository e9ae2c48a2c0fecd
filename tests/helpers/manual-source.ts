// A source the test drives by hand: whatever it pushes enters the pipeline as if a driver had read it.
import type { Emit, StreamInfo } from "../../agent/model.js";
import type { Source } from "../../agent/pipeline/stages.js";

export function manualSource(info: StreamInfo): Source & { push: Emit } {
  let emit: Emit = () => {};
  return {
    id: info.name,
    streams: [info],
    async start(e) {
      emit = e;
    },
    async stop() {},
    status: () => ({ state: "online", faults: {}, samples: 0 }),
    push: (r) => emit(r),
  };
}
