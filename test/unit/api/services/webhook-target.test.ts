import { describe, expect, it } from '@jest/globals';
import { isInternalAddress, webhookUrlProblem } from '../../../../api/services/webhook-target';

describe('webhook targets', () => {
  it('tells internal addresses from public ones, IPv4 written as IPv6 included', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ])
      expect([address, isInternalAddress(address)]).toEqual([address, true]);
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect([address, isInternalAddress(address)]).toEqual([address, false]);
  });

  it('refuses loopback, private and odd URLs unless internal targets are allowed', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', false)).toBeNull();
    for (const url of [
      'http://127.0.0.1:9000/',
      'http://localhost/',
      'http://api.localhost/',
      'http://[::1]/',
      'http://10.0.0.5/',
    ])
      expect(webhookUrlProblem(url, false)).toContain('WEBHOOK_ALLOW_PRIVATE_TARGETS');
    expect(webhookUrlProblem('http://127.0.0.1:9000/', true)).toBeNull();
    expect(webhookUrlProblem('ftp://example.com/', true)).toContain('http or https');
    expect(webhookUrlProblem('https://user:pw@example.com/', true)).toContain('credentials');
    expect(webhookUrlProblem('nope', true)).toContain('not a URL');
  });
});
