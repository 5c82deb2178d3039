/** Worker entry: HTTP, cron and queue handlers share one app and one job runner. */
import { createApp } from "./app";
import type { Bindings } from "./env";
import { handleQueueBatch } from "./jobs/consumer";
import { fanOut } from "./jobs/fan-out";
import type { JobMessage } from "./jobs/messages";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await fanOut(env, controller.cron);
  },
  async queue(batch, env) {
    await handleQueueBatch(batch, env);
  },
} satisfies ExportedHandler<Bindings, JobMessage>;
