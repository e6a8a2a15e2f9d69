import { Duration } from 'aws-cdk-lib';

/** A service function's timeout: its queue keeps a request invisible six times as long. */
export const FUNCTION_TIMEOUT = Duration.seconds(60);
/** Deliveries of a request before it goes to the service's DLQ. */
export const MAX_RECEIVE_COUNT = 5;
/** A request older than this in a service queue raises an alarm (retries take up to 5 x 6 min only when something fails). */
export const OLDEST_MESSAGE_ALARM_SECONDS = 600;
