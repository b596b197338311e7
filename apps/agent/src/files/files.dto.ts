import { Type } from 'class-transformer';
import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';

/** Mesos's answer to a request without a path. */
export const EXPECTING_PATH = "Expecting 'path=value' in query.";

function IsPathParameter(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isPathParameter', validator: { validate: (v: unknown) => typeof v === 'string' && v !== '', defaultMessage: () => EXPECTING_PATH } },
    options,
  );
}

/** An integer of at least -1: -1 means "the end" for offsets and "to the end" for lengths (the web UI's pailer). */
function IsOffsetLike(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'isOffsetLike',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= -1,
      defaultMessage: () => `Failed to parse ${name}: expected an integer of at least -1.`,
    },
  });
}

export class FilePathQuery {
  @IsPathParameter()
  readonly path!: string;
}

export class FileReadQuery extends FilePathQuery {
  @IsOptional()
  @Type(() => Number)
  @IsOffsetLike('offset')
  readonly offset?: number;

  @IsOptional()
  @Type(() => Number)
  @IsOffsetLike('length')
  readonly length?: number;
}
