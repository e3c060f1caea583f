import { describe, expect, it } from 'vitest';
import { ownedBy } from './leftovers.js';

describe('ownedBy', () => {
  it("keeps the lab's names and never anybody else's", () => {
    const names = ['ha-lab-linux01', 'ha-lab-lan', 'ha-lab_vagrant_box_image_0_box.img', 'ha-lab', 'default',
      'ha-labs-other', 'my-ha-lab-vm', 'ha-lab2-linux01'];
    expect(ownedBy('ha-lab', names)).toEqual(['ha-lab-linux01', 'ha-lab-lan', 'ha-lab_vagrant_box_image_0_box.img', 'ha-lab']);
  });
});
