# ep-stats REST API over real data: `ep-stats serve` with its data source from the environment.
#
#   docker build -t ep-stats .
#   docker run -p 8080:8080 -v "$PWD/fixtures/events:/data:ro" -e EP_STATS_EVENTS=/data/demo-events.parquet ep-stats
#   docker run -p 8080:8080 -e EP_STATS_DATABASE_FILE=/run/secrets/db-url -e EP_STATS_TABLE=events ep-stats
#   docker run -p 8080:8080 -e EP_STATS_TEST_DATA=1 ep-stats
#
# Exactly one of EP_STATS_EVENTS, EP_STATS_DATABASE, EP_STATS_DATABASE_FILE or EP_STATS_TEST_DATA=1 must be
# set (see docs/rest-api.md, "Running it"). The equivalent without Docker, from a checkout:
#   npm ci && npm run build && EP_STATS_EVENTS=... node dist/cli.js serve --host 0.0.0.0 --port 8080

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# `npm ci` (development dependencies included) is the simplest correct install: `npm ci --omit=dev` leaves
# out the optional peer dependencies `serve` needs (fastify, @fastify/swagger, @fastify/swagger-ui, zod,
# prom-client, piscina, commander, csv-parse, @duckdb/node-api, pg), and the development dependencies hold them at
# the versions of package-lock.json. The build stage's node_modules is that install.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/fixtures ./fixtures
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: SIGTERM (docker stop) lets running requests finish, then exits with 0.
CMD ["node", "dist/cli.js", "serve", "--host", "0.0.0.0", "--port", "8080"]
