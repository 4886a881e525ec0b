import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isIanaTimeZone } from './business-time/index.js';

/** An IANA time zone name such as "Europe/Paris". */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an IANA time zone such as "Europe/Paris"', ...options },
      validator: { validate: isIanaTimeZone },
    });
}
