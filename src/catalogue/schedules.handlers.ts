import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./schedules.routes";
import * as S from "./schedules.service";
import { actorOf } from "./staff.handlers";

export const getSchedule: AppRouteHandler<typeof R.getSchedule> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json({ staff_id: id, ...(await S.getSchedule(await scope(c), id)) }, 200);
};

export const replaceSchedule: AppRouteHandler<typeof R.replaceSchedule> = async (c) => {
  const s = await scope(c);
  const { id } = c.req.valid("param");
  return c.json({ staff_id: id, ...(await S.replaceSchedule(s, id, c.req.valid("json"), actorOf(c))) }, 200);
};

export const addTimeOff: AppRouteHandler<typeof R.addTimeOff> = async (c) => {
  const s = await scope(c);
  return c.json(await S.addTimeOff(s, c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 201);
};

export const removeTimeOff: AppRouteHandler<typeof R.removeTimeOff> = async (c) => {
  const s = await scope(c);
  const { id, timeOffId } = c.req.valid("param");
  await S.removeTimeOff(s, id, timeOffId, actorOf(c));
  return c.body(null, 204);
};

export const setOverride: AppRouteHandler<typeof R.setOverride> = async (c) => {
  const s = await scope(c);
  const { id, date } = c.req.valid("param");
  return c.json(await S.setOverride(s, id, date, c.req.valid("json").ranges, actorOf(c)), 200);
};

export const removeOverride: AppRouteHandler<typeof R.removeOverride> = async (c) => {
  const s = await scope(c);
  const { id, date } = c.req.valid("param");
  await S.removeOverride(s, id, date, actorOf(c));
  return c.body(null, 204);
};
