import { ApiProperty } from '@nestjs/swagger';

export class EventTypeNamesView {
  @ApiProperty({ example: 'lead.handed_over' })
  type: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { en: 'Lead handed over to sales', fr: 'Lead transmis aux ventes', ru: 'Лид передан в продажи', uk: 'Лід передано у продажі', ar: 'تم تسليم العميل المحتمل إلى المبيعات' },
    description: 'The name a reader of each language sees: the organisation\'s own, else the default, else the type itself.',
  })
  names: Record<string, string>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { ru: 'Лид передан в продажи' },
    description: 'Only the names the organisation set, by language.',
  })
  custom: Record<string, string>;
}

export class EventTypeNamesList {
  @ApiProperty({ type: [EventTypeNamesView], description: 'The conventional types and every type the organisation named, by type.' })
  items: EventTypeNamesView[];
}
