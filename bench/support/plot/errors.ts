/** Thrown for data a chart cannot draw (NaN, infinities, negative bars); the message says which datum. */
export class PlotInputError extends Error {
  override readonly name = 'PlotInputError';
}
