# One image for every payflow process; the command names the entry point (see docker-compose.yml).
# The TypeScript is compiled in the build stage, so the image runs plain JavaScript with the
# production dependencies only: no compiler, no loader (tsx), no test tooling.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY lib ./lib
COPY server ./server
COPY workers ./workers
COPY stand-ins ./stand-ins
COPY web ./web
RUN npx tsc -p tsconfig.build.json && npx vite build --config web/vite.config.ts

FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
# package.json says "type": "module", which the compiled files need.
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The BFF serves the page from ../web/dist next to its own compiled files.
COPY --from=build /app/web/dist ./dist/web/dist
USER node
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/server/main.js"]
