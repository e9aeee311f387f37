import { Router } from 'express';
import { PLANS } from '../../contracts/index.js';

export function plansRoutes(): Router {
  return Router().get('/api/plans', (_req, res) => {
    res.json(PLANS);
  });
}
