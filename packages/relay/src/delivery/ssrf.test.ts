import { describe, expect, test } from 'vitest'
import { embeddedIPv4, SsrfGuard } from './ssrf.ts'

// Decisions only: nothing here opens a socket, so non-loopback ranges can be covered safely.
const guard = new SsrfGuard([])

describe('SSRF decisions', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud_metadata'],
    ['169.254.10.10', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'cloud_metadata'],
    ['64:ff9b::a00:1', 'private'],
    ['::ffff:0:10.0.0.1', 'reserved'],
    ['::ffff:0:a00:1', 'reserved'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['2002:7f00:1::', 'loopback'],
  ])('%s is refused as %s', (address, rule) => {
    const decision = guard.checkAddress(address)
    expect(decision).toMatchObject({ ok: false, rule })
  })

  test.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s (public) is allowed', (address) => {
    expect(guard.checkAddress(address)).toEqual({ ok: true })
  })

  test('HOOKLINE_ALLOW_HOSTS admits names, addresses and CIDRs', () => {
    const allowing = new SsrfGuard(['localhost', '10.1.0.0/16', '::1'])
    expect(allowing.checkAddress('127.0.0.1', 'localhost')).toEqual({ ok: true })
    expect(allowing.checkAddress('127.0.0.1', 'evil.example')).toMatchObject({ ok: false, rule: 'loopback' })
    expect(allowing.checkAddress('10.1.2.3')).toEqual({ ok: true })
    expect(allowing.checkAddress('10.2.2.3')).toMatchObject({ ok: false, rule: 'private' })
    expect(allowing.checkAddress('::1')).toEqual({ ok: true })
  })

  test('URLs: https only, http for allowed hosts, literals checked, metadata names refused', () => {
    const check = (url: string, g = guard) => {
      const result = g.checkUrl(new URL(url))
      return result.ok ? 'ok' : result.error.rule
    }
    expect(check('https://hooks.example.com/x')).toBe('ok')
    expect(check('http://hooks.example.com/x')).toBe('plain_http')
    expect(check('ftp://hooks.example.com/x')).toBe('scheme')
    expect(check('https://10.0.0.1/x')).toBe('private')
    expect(check('https://127.1/x')).toBe('loopback')
    expect(check('https://2130706433/x')).toBe('loopback')
    expect(check('https://[::ffff:127.0.0.1]/x')).toBe('loopback')
    expect(check('https://169.254.169.254/latest/meta-data')).toBe('cloud_metadata')
    expect(check('https://metadata.google.internal/')).toBe('cloud_metadata')
    const dev = new SsrfGuard(['localhost', '127.0.0.0/8', '::1'])
    expect(check('http://127.0.0.1:8080/x', dev)).toBe('ok')
    expect(check('http://localhost:8080/x', dev)).toBe('ok')
    expect(check('http://[::1]:8080/x', dev)).toBe('ok')
    expect(check('http://10.0.0.1/x', dev)).toBe('plain_http')
  })

  test('the refusal names the rule and the range', () => {
    const result = guard.checkUrl(new URL('https://10.0.0.1/'))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toMatch(/rule private.*10\.0\.0\.0\/8/)
  })

  test('embedded IPv4 addresses are found', () => {
    expect(embeddedIPv4('::ffff:1.2.3.4')).toEqual({ address: '1.2.3.4', kind: 'IPv4-mapped IPv6' })
    expect(embeddedIPv4('2001:db8::1')).toBeNull()
  })
})

describe('allowed names', () => {
  test('admit what they resolve to, but never cloud metadata or link-local addresses', () => {
    const dev = new SsrfGuard(['localhost'])
    expect(dev.checkAddress('127.0.0.1', 'localhost').ok).toBe(true)
    expect(dev.checkAddress('169.254.169.254', 'localhost')).toMatchObject({ ok: false, rule: 'cloud_metadata' })
    expect(dev.checkAddress('169.254.1.1', 'localhost')).toMatchObject({ ok: false, rule: 'link_local' })
    expect(dev.checkAddress('::ffff:169.254.169.254', 'localhost')).toMatchObject({ ok: false })
    expect(dev.checkAddress('fe80::1', 'localhost')).toMatchObject({ ok: false, rule: 'link_local' })
    expect(dev.checkAddress('fd00:ec2::254', 'localhost')).toMatchObject({ ok: false, rule: 'cloud_metadata' })
  })
})
