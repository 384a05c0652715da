export { percent } from '../../../contract/format';
