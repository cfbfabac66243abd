# syntax=docker/dockerfile:1
# One image for every app role; docker-compose.yml picks the role with ROLES (api, worker).
# Node 24 LTS on Debian 13 slim (glibc, which the Temporal core bridge and SWC binaries need).

FROM node:24.19.0-trixie-slim AS dependencies
WORKDIR /app
# Only what the install reads, so source edits keep this layer cached. `npm install` with the
# lock, not `npm ci`: the lock cannot list some other platforms' optional binaries (see .ci/run),
# which npm ci rejects as out of sync; npm install installs the locked versions. postinstall runs
# runtime/provision-tools.mjs; the image talks to an external Temporal and needs none of
# the binaries it would fetch into .tools/.
COPY package.json package-lock.json .npmrc ./
COPY runtime/provision-tools.mjs runtime/
RUN --mount=type=cache,target=/root/.npm \
    SKIP_TOOLS_PROVISION=1 npm install --omit=dev --no-audit --no-fund

# The web app is built here, with the dev dependencies (Vite, React) the runtime image leaves out;
# its stamp matches the sources copied below, so `npm start` in the image serves it as built.
FROM node:24.19.0-trixie-slim AS web
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY runtime/provision-tools.mjs runtime/
RUN --mount=type=cache,target=/root/.npm \
    SKIP_TOOLS_PROVISION=1 npm install --no-audit --no-fund
COPY . .
RUN node --import tsx -e "const { ensureWebBuild } = await import('./runtime/web-build.ts'); const r = await ensureWebBuild(console); if (r.status === 'failed') process.exit(1);"

FROM node:24.19.0-trixie-slim AS runtime
ENV HOST=0.0.0.0 \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY . .
COPY --from=web /app/dist/web ./dist/web
# Code stays root-owned and read-only for the app; only the data directory is writable.
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3000
CMD ["npm", "start"]
