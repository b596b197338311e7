import { applyDecorators } from '@nestjs/common';
import { isFQDN, isIP, IsInt, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';

/** A TCP port; 0 asks the OS for a free one (used by tests). */
export function IsPort(): PropertyDecorator {
  const message = 'must be a port number from 0 to 65535';
  return applyDecorators(IsInt({ message }), Min(0, { message }), Max(65535, { message }));
}

/** An address to bind or reach: an IPv4/IPv6 literal or a host name such as `localhost`. */
export function IsHost(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHost',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (isIP(value) || isFQDN(value, { require_tld: false })),
        defaultMessage: () => 'must be an IP address or a host name',
      },
    },
    options,
  );
}

/** A Postgres connection URL: `postgres://` or `postgresql://`, with a host. */
export function IsPostgresUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPostgresUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
          } catch {
            return false;
          }
        },
        defaultMessage: () => 'must be a URL like postgres://user:password@host:5432/database',
      },
    },
    options,
  );
}
