# One image for every payflow process; the command picks which (see docker-compose.yml).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

FROM deps AS web
COPY web ./web
COPY contracts ./contracts
RUN if [ -f web/vite.config.ts ]; then npx vite build --config web/vite.config.ts; else mkdir -p web/dist; fi

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY contracts ./contracts
COPY lib ./lib
COPY server ./server
COPY workers ./workers
COPY stand-ins ./stand-ins
COPY --from=web /app/web/dist ./web/dist
USER node
# The TypeScript sources run through tsx's loader; there is no separate build output to keep in step.
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["server/main.ts"]
