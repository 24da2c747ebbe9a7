// Wrong on purpose: this daemon never checks whether its parent is still there;
// it trusts the parent to end it.
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const DUTY_UNITS = 100;

console.log(`daemon: pid ${process.pid}, parent ${process.ppid}, on duty for ${DUTY_UNITS} units`);
let ticks = 0;
const timer = setInterval(() => {
  ticks++;
  console.log(`daemon: tick ${ticks}`);
  if (ticks === DUTY_UNITS) {
    clearInterval(timer);
    console.log("daemon: off duty");
  }
}, UNIT_MS);
