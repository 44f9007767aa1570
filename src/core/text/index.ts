export { COMMAND_MARKER, terminalSafe, terminalSafeLine } from './terminalSafe';
