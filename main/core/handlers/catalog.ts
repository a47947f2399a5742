/** Products, revocations, campaigns and points. */
import type { catalogCalls } from '../../../preload/api/catalog';
import { campaignRow } from '../catalog/catalog';
import { UserError } from '../errors';
import type { Deps, HandlerMap } from './types';

export function catalogHandlers({ admin, catalog, points }: Deps): HandlerMap<keyof typeof catalogCalls> {
  return {
    'products.list': ({ query, limit }) => catalog.products(query, limit),
    'products.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken, 'owner');
      return catalog.importProducts(fileName, content);
    },
    'revocations.list': ({ limit }) => catalog.revocations(limit),
    'revocations.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken, 'owner');
      return catalog.importRevocations(fileName, content, Date.now());
    },
    'campaigns.list': () => catalog.campaigns(),
    'campaigns.set': ({ adminToken, id, name, stock, from, to, hours, mode }) => {
      admin.require(adminToken, 'owner');
      const row = campaignRow.safeParse({ id, name, stock: stock ?? undefined, from: from ?? undefined, to: to ?? undefined, hours: hours ?? undefined });
      if (!row.success) throw new UserError('campaigns.badInput', 'Check the campaign: hours look like 10:00-22:00.');
      return catalog.setCampaign({ ...row.data, mode }, 'admin', Date.now());
    },
    'campaigns.delete': ({ adminToken, id }) => {
      admin.require(adminToken, 'owner');
      catalog.deleteCampaign(id);
      return catalog.campaigns();
    },
    'campaigns.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken, 'owner');
      return catalog.importCampaigns(fileName, content, Date.now());
    },
    'points.rules': () => points.rules(),
    'points.setRules': ({ adminToken, ...rules }) => {
      admin.require(adminToken, 'owner');
      return points.setRules(rules);
    },
    'points.show': ({ holder }) => points.show(holder),
  };
}
