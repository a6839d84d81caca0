export { InstrumentSimulator } from './simulator';
export type { InstrumentSimulatorOptions } from './simulator';
export { DEMO_INSTRUMENTS, planAcquisition, sampleClock } from './plans';
export type { InstrumentKind, PlannedAcquisition, SimulatedInstrument, WriteContext } from './plans';
export { writeTopspinProgressively, topspinAudit } from './writeTopspin';
export type { WriteTopspinOptions } from './writeTopspin';
export { approach, cementPopulations, cheesePopulations, emulsionPopulations, gelLines } from './samples';
export type { LabelledPeak, NmrLine } from './samples';
