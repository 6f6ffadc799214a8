import { LocalBus, LocalFanOut } from '../../src/live/fanout.js';
import { fanoutContract } from './fanout-contract.js';

fanoutContract('in-process', async () => {
  const bus = new LocalBus();
  return [new LocalFanOut(bus), new LocalFanOut(bus), new LocalFanOut(bus)];
});
