/** Node (CLI, dev, bench) has no global WebSocket on v20: give the Neon driver `ws`. */
import { neonConfig } from "@neondatabase/serverless";
import ws from "ws";

neonConfig.webSocketConstructor = ws as unknown as typeof WebSocket;
