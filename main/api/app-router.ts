// The gateway's whole API, one router per area. Each area's file reads top to bottom as what
// that part of the app can do; who may call what is declared per procedure (procedure(access))
// and decided by the one table in access-policy.ts.
import { alertsRouter } from './alerts-router.ts';
import { auditRouter } from './audit-router.ts';
import { authRouter } from './auth-router.ts';
import { commissioningRouter } from './commissioning-router.ts';
import { devicesRouter } from './devices-router.ts';
import { driversRouter } from './drivers-router.ts';
import { opcuaRouter } from './opcua-router.ts';
import { pluginsRouter } from './plugins-router.ts';
import { mqttRouter } from './mqtt-router.ts';
import { systemRouter } from './system-router.ts';
import { tagsRouter } from './tags-router.ts';
import { trendsRouter } from './trends-router.ts';
import { router } from './trpc.ts';
import { usersRouter } from './users-router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  devices: devicesRouter,
  tags: tagsRouter,
  trends: trendsRouter,
  alerts: alertsRouter,
  drivers: driversRouter,
  commissioning: commissioningRouter,
  opcua: opcuaRouter,
  plugins: pluginsRouter,
  mqtt: mqttRouter,
  system: systemRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
