/** generateName: the prefix plus five random characters (names.SimpleNameGenerator upstream). */
export { generateName as generateNameFor } from '../../machinery/names.js';
