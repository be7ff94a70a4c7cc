import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIPv4, subtractCIDRs } from './cidr.js';

describe('subtractCIDRs', () => {
  const cases: { name: string; cidr: string; except: string[]; want: string[] | undefined }[] = [
    { name: 'no except', cidr: '10.0.0.0/8', except: [], want: ['10.0.0.0/8'] },
    { name: 'host bits cleared', cidr: '10.1.2.3/16', except: [], want: ['10.1.0.0/16'] },
    { name: 'a bare address', cidr: '10.1.2.3', except: [], want: ['10.1.2.3/32'] },
    { name: 'one half out', cidr: '10.0.0.0/24', except: ['10.0.0.128/25'], want: ['10.0.0.0/25'] },
    {
      name: 'one address out',
      cidr: '10.0.0.0/30',
      except: ['10.0.0.2/32'],
      want: ['10.0.0.0/31', '10.0.0.3/32'],
    },
    { name: 'except covering all', cidr: '10.0.0.0/24', except: ['10.0.0.0/16'], want: [] },
    { name: 'except elsewhere', cidr: '10.0.0.0/24', except: ['192.168.0.0/16'], want: ['10.0.0.0/24'] },
    {
      name: 'two holes',
      cidr: '172.17.0.0/22',
      except: ['172.17.1.0/24', '172.17.3.0/24'],
      want: ['172.17.0.0/24', '172.17.2.0/24'],
    },
    { name: 'everything but one /1', cidr: '0.0.0.0/0', except: ['128.0.0.0/1'], want: ['0.0.0.0/1'] },
    { name: 'IPv6 is not programmed', cidr: 'fd00::/8', except: [], want: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(subtractCIDRs(c.cidr, c.except), c.want));

  it('isIPv4', () => {
    assert.ok(isIPv4('10.242.0.5'));
    assert.ok(!isIPv4('fd00::1'));
    assert.ok(!isIPv4('10.0.0.256'));
  });
});
