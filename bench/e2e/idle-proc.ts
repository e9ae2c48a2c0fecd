// The control of the CPU figures: a node process that only wakes at the agent's sensor-read pace (`tickMs`) and does
// nothing else. On a virtual machine a wakeup can cost milliseconds of accounted CPU (the guest charges the woken
// task while its vCPU is brought back), so a mostly idle agent pays a floor that has nothing to do with its work.
// Runs beside the agent's live phase, with the agent's flags, and reports its own CPU over the same seconds.
const { seconds, warmupS, tickMs } = JSON.parse(process.argv[2]) as { seconds: number; warmupS: number; tickMs: number };
let c0: NodeJS.CpuUsage | undefined;
let w0 = 0;
const started = Date.now();
const timer = setInterval(() => {
  const t = (Date.now() - started) / 1000;
  if (!c0 && t >= warmupS) {
    c0 = process.cpuUsage();
    w0 = process.resourceUsage().voluntaryContextSwitches;
  }
  if (c0 && t >= warmupS + seconds) {
    clearInterval(timer);
    const c = process.cpuUsage(c0);
    const wakeups = process.resourceUsage().voluntaryContextSwitches - w0;
    process.stdout.write(JSON.stringify({ cpuS: (c.user + c.system) / 1e6, wakeups, seconds }) + "\n");
  }
}, tickMs);
