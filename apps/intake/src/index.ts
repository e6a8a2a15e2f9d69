export { createIntakeHandler } from './handler';
