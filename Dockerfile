# The service as a container image:
#   docker build -t codev-bot .
#   docker run -d -p 3978:3978 --env-file .env -v codev-data:/app/data codev-bot
# SQLite keeps its file in the /app/data volume; with DATABASE_URL=postgres://… it stays empty.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 compiles its native module when no prebuilt one fits this Node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src src
COPY adaptive-cards adaptive-cards
RUN npm run build && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The default SQLite file is ./data/codev.sqlite; the image's user owns the folder the volume
# mounts on, and a new named volume takes that owner.
RUN mkdir data && chown node:node data
VOLUME ["/app/data"]
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1, not npm: npm does not pass SIGTERM on, and the service's graceful
# shutdown listens for it. The same command as `npm start`, flags included: a young generation
# of 8 MiB semi-spaces instead of 16, and a first full collection at 64 MiB of old space,
# keep peak memory down (README, Memory).
CMD ["node", "--max-semi-space-size=8", "--initial-old-space-size=64", "dist/src/main.js"]
