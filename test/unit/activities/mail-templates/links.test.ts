import { describe, expect, it } from '@jest/globals';
import { absoluteLinks } from '../../../../activities/mail-templates/activities';

describe('absoluteLinks', () => {
  it('puts PUBLIC_URL in front of link paths and leaves everything else alone', () => {
    expect(
      absoluteLinks(
        {
          leadUrl: '/api/v1/leads/L-1',
          surveyUrl: 'https://survey.example/s/1',
          protocolRelativeUrl: '//cdn.example/x',
          company: '/not/a/link',
          count: 3,
        },
        'https://crm.example.com/',
      ),
    ).toEqual({
      leadUrl: 'https://crm.example.com/api/v1/leads/L-1',
      surveyUrl: 'https://survey.example/s/1',
      protocolRelativeUrl: '//cdn.example/x',
      company: '/not/a/link',
      count: 3,
    });
  });

  it('uses the default local address without a PUBLIC_URL', () => {
    expect(absoluteLinks({ ticketUrl: '/api/v1/tickets/T-1' }, undefined)).toEqual({
      ticketUrl: 'http://localhost:3000/api/v1/tickets/T-1',
    });
  });
});
