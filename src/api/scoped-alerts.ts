/**
 * The role-scoped alerts part of the store (mounted into createScopedStore): a viewer sees alerts
 * without command text (and links without the `cmd` parameter that would carry it, and details
 * without the group values a scheduled rule grouped by CommandLine or CurrentDirectory puts there:
 * only `3 events within 10 min`; a command alert's detail, a suppression reason, not at all);
 * acknowledging,
 * resolving and suppressing need an auditor or admin and go to the access trail; rule enable /
 * disable is admins'; the delivery log and retrying dead deliveries are auditors' and admins'. Webhook URLs and secrets live in
 * the config only: nothing here can read them.
 */
import { detailSummary } from '../alerts/correlation/evaluate.ts';
import type {
  AlertFilters,
  AlertRecord,
  AlertStatus,
  NewSuppression,
  PageRequest,
  Store,
} from '../store/index.ts';
import { appendToTrail, type Caller } from './access-trail-entry.ts';
import { AccessDeniedError } from './errors.ts';

/** A deep link without its `cmd=` parameter. */
export function linkWithoutCommand(link: string | null): string | null {
  if (link === null) return null;
  const [path, query = ''] = link.split('?', 2);
  const kept = query.split('&').filter((p) => p !== '' && !p.startsWith('cmd='));
  return kept.length ? `${path}?${kept.join('&')}` : path!;
}

export function createScopedAlerts(store: Store, caller: Caller, content: boolean) {
  const { role } = caller.auth;
  const shape = (a: AlertRecord): AlertRecord =>
    content ? a : { ...a, commandText: null, link: linkWithoutCommand(a.link), detail: detailSummary(a) };
  function need(ok: boolean, reason: string, what: string): void {
    if (!ok) throw new AccessDeniedError(reason, what);
  }
  const auditor = () => need(content, 'role_viewer', 'a viewer cannot change alerts or suppressions');
  const admin = () => need(role === 'admin', 'role_not_admin', 'only an admin turns rules on or off');
  const trail = (action: string, subject: string, detail: Record<string, unknown> | null) =>
    appendToTrail(store, caller, action, subject, detail);
  return {
    alerts: {
      async list(filters: AlertFilters = {}, page: PageRequest = {}) {
        const result = await store.alerts.list(filters, page);
        return { ...result, items: result.items.map(shape) };
      },
      async get(alertId: number) {
        const a = await store.alerts.get(alertId);
        return a && shape(a);
      },
      /** Bulk status change (acknowledge, resolve, suppress, reopen); each change goes to the access trail. */
      async setStatus(alertIds: number[], status: AlertStatus, reason: string | null) {
        auditor();
        const changed = await store.alerts.setStatus(alertIds, {
          status,
          by: caller.auth.name,
          reason,
          now: caller.now(),
        });
        for (const a of changed)
          await trail(`alert_${status}`, String(a.alertId), reason ? { reason } : null);
        return changed.map(shape);
      },
      countByRule: () => store.alerts.countByRule(),
      countBySession: (ids: string[]) => store.alerts.countBySession(ids),
    },
    suppressions: {
      list(options?: { activeAt?: number }) {
        auditor();
        return store.suppressions.list(options);
      },
      async create(s: Omit<NewSuppression, 'createdAt' | 'createdBy'>) {
        auditor();
        const made = await store.suppressions.create({
          ...s,
          createdAt: caller.now(),
          createdBy: caller.auth.name,
        });
        await trail('suppression_create', String(made.suppressionId), { ruleId: s.ruleId, reason: s.reason });
        return made;
      },
      async remove(id: number) {
        auditor();
        const removed = await store.suppressions.remove(id, caller.now());
        if (removed) await trail('suppression_remove', String(id), null);
        return removed;
      },
    },
    ruleStates: {
      list: () => store.rules.list(),
      async setEnabled(ruleId: string, enabled: boolean) {
        admin();
        const state = await store.rules.setEnabled(ruleId, enabled, caller.auth.name, caller.now());
        await trail(enabled ? 'rule_enable' : 'rule_disable', ruleId, null);
        return state;
      },
    },
    deliveries: {
      list(...args: Parameters<Store['outbox']['list']>) {
        auditor();
        return store.outbox.list(...args);
      },
      /** Dead deliveries back to pending (auditors, like acknowledging); each one to the access trail. */
      async retryDead(ids: number[] | 'all') {
        auditor();
        const retried = await store.outbox.retryDead(ids, caller.now());
        for (const d of retried)
          await trail('delivery_retry', String(d.deliveryId), { alertId: d.alertId, channel: d.channel });
        return retried;
      },
    },
  };
}
